# Drawn by the replicate harness; run `gnuplot accuracy-vs-epoch.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Test accuracy during training"
set xlabel "epoch"
set ylabel "accuracy"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'accuracy-vs-epoch.png'
plot 'accuracy-vs-epoch.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'accuracy-vs-epoch.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'accuracy-vs-epoch.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.8503105590062111 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.7913043478260869 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'accuracy-vs-epoch.svg'
plot 'accuracy-vs-epoch.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'accuracy-vs-epoch.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'accuracy-vs-epoch.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.8503105590062111 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.7913043478260869 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
