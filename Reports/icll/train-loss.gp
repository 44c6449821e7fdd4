# Drawn by the replicate harness; run `gnuplot train-loss.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Training loss per epoch"
set xlabel "epoch"
set ylabel "cross-entropy (nats, letter targets)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'train-loss.png'
plot 'train-loss.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'train-loss.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'train-loss.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'train-loss.svg'
plot 'train-loss.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'train-loss.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'train-loss.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG"
unset output
