# Drawn by the replicate harness; run `gnuplot training-loss.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Training loss per ordering"
set xlabel "training tokens"
set ylabel "training loss (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'training-loss.png'
plot 'training-loss.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'training-loss.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP", \
     'training-loss.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "KNN", \
     'training-loss.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "CLUSTER"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'training-loss.svg'
plot 'training-loss.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'training-loss.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP", \
     'training-loss.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "KNN", \
     'training-loss.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "CLUSTER"
unset output
